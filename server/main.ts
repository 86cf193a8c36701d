// Entry point: config → buildApp → listen; a graceful close on SIGTERM/SIGINT lets uploads in flight finish.
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { BlobStoreConfigError } from '../storage/blobs/open-stores';
import { S3StoreSetupError } from '../storage/blobs/s3.store';
import { DataDirBusyError } from '../storage/data-dir-lock';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  let app;
  try {
    app = await buildApp(config);
  } catch (error) {
    // A store that cannot be opened as configured (BLOB_STORE and its settings, a bucket that is missing,
    // refuses the keys or lacks the Object Lock asked for) is a configuration error too.
    if (error instanceof DataDirBusyError) {
      console.error(`Not started: ${error.message}`);
      process.exit(1);
    }
    if (error instanceof BlobStoreConfigError || error instanceof S3StoreSetupError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // A promise nobody awaited must not take uploads in flight down with the process.
  process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'closing: finishing requests in flight');
      app.close().then(
        () => process.exit(0),
        (error) => {
          app.log.error({ err: error }, 'close failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen({ port: config.port, host: config.host });
}

await main();
