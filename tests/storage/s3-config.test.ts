// BLOB_STORE=s3 and the S3_* settings: what a start accepts, and the plain messages for what it refuses.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

const s3 = (env: Record<string, string>) => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'packtrail-evidence', ...env });

describe('S3 settings', () => {
  it('keeps originals on local disk unless BLOB_STORE=s3, and ignores S3_* then', () => {
    expect(loadConfig({}).blobStore).toBe('local');
    expect(loadConfig({ S3_BUCKET: 'Not A Bucket' }).s3).toBeUndefined();
    expect(() => loadConfig({ BLOB_STORE: 'ceph' })).toThrow(ConfigError);
  });

  it('reads every setting, with path-style addressing by default for a gateway of its own', () => {
    expect(
      s3({ S3_ENDPOINT: 'http://127.0.0.1:7480/', S3_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK', S3_OBJECT_LOCK_DAYS: '90' }).s3,
    ).toEqual({
      endpoint: 'http://127.0.0.1:7480',
      region: 'eu-west-1',
      bucket: 'packtrail-evidence',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      forcePathStyle: true,
      objectLockDays: 90,
      objectLockRequired: true,
    });
    const aws = s3({}).s3!;
    expect([aws.endpoint, aws.region, aws.forcePathStyle, aws.objectLockDays, aws.objectLockRequired]).toEqual([undefined, 'us-east-1', false, 365, false]);
    expect(s3({ S3_ENDPOINT: 'https://s3.example.test', S3_FORCE_PATH_STYLE: 'false' }).s3!.forcePathStyle).toBe(false);
    expect(s3({ S3_OBJECT_LOCK_DAYS: '0' }).s3!.objectLockDays).toBe(0);
  });

  it('refuses what cannot work, naming the setting', () => {
    const refused = (env: Record<string, string>, name: RegExp) => expect(() => loadConfig({ BLOB_STORE: 's3', ...env })).toThrow(name);
    refused({}, /S3_BUCKET/);
    refused({ S3_BUCKET: 'Evidence_Bucket' }, /S3_BUCKET/);
    refused({ S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'ftp://host' }, /S3_ENDPOINT/);
    refused({ S3_BUCKET: 'ok-bucket', S3_ACCESS_KEY_ID: 'AK' }, /S3_SECRET_ACCESS_KEY/);
    refused({ S3_BUCKET: 'ok-bucket', S3_OBJECT_LOCK_DAYS: '-1' }, /S3_OBJECT_LOCK_DAYS/);
    refused({ S3_BUCKET: 'ok-bucket', S3_OBJECT_LOCK_DAYS: '100000' }, /S3_OBJECT_LOCK_DAYS/);
    refused({ S3_BUCKET: 'ok-bucket', S3_FORCE_PATH_STYLE: 'yes' }, /S3_FORCE_PATH_STYLE/);
    refused({ S3_BUCKET: 'ok-bucket', S3_REGION: 'eu west' }, /S3_REGION/);
  });
});
