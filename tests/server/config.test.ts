import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration from the environment', () => {
  it('has working defaults: port 8080, ./data, plain HTTP', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, publicUrl: 'http://localhost:8080', tls: { mode: 'off' }, logLevel: 'info' });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.maxBytes.video).toBe(4 * 1024 ** 3);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads sizes with units', () => {
    expect(loadConfig({ MAX_VIDEO_BYTES: '2GiB', MAX_PHOTO_BYTES: '500 MB' }).maxBytes).toMatchObject({ video: 2 * 1024 ** 3, photo: 500_000_000 });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ PUBLIC_URL: 'ftp://shop' }, /PUBLIC_URL must be an http or https URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ MAX_VIDEO_BYTES: 'lots' }, /MAX_VIDEO_BYTES must be a size/],
    [{ MAX_VIDEO_BYTES: '1constructor' }, /MAX_VIDEO_BYTES must be a size/],
    [{ TLS_CERT_FILE: '/nope.pem' }, /TLS_CERT_FILE and TLS_KEY_FILE go together/],
    [{ TLS_CERT_FILE: '/nope.pem', TLS_KEY_FILE: '/nope.key' }, /TLS_CERT_FILE points to \/nope.pem/],
    [{ TSA_URL: 'freetsa.org/tsr' }, /TSA_URL must be an absolute http\(s\) URL/],
    [{ TSA_URL: 'ftp://freetsa.org/tsr' }, /TSA_URL must be an http or https URL/],
    [{ BLOB_STORE: 'nas' }, /BLOB_STORE must be one of local, s3/],
  ])('stops with a message naming the variable for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('asks no time-stamping authority unless TSA_URL names one, and keeps its address as given', () => {
    expect(loadConfig({}).tsaUrl).toBeUndefined();
    expect(loadConfig({ TSA_URL: ' ' }).tsaUrl).toBeUndefined();
    expect(loadConfig({ TSA_URL: 'https://freetsa.org/tsr' }).tsaUrl).toBe('https://freetsa.org/tsr');
    expect(loadConfig({ TSA_URL: 'http://timestamp.digicert.com' }).tsaUrl).toBe('http://timestamp.digicert.com/');
  });

  it('keeps originals on local disk unless BLOB_STORE says otherwise', () => {
    expect(loadConfig({}).blobStore).toBe('local');
    expect(loadConfig({ BLOB_STORE: 's3' }).blobStore).toBe('s3');
  });

  it('defaults the public URL to https when serving TLS', () => {
    expect(loadConfig({ TLS_SELF_SIGNED: 'true', PORT: '8443' }).publicUrl).toBe('https://localhost:8443');
  });
});
