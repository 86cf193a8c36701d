// Vitest setup file: a test file's temp directories go when the file's own after-all hooks have run
// (hooks run as a stack, so this one, registered first, runs last).
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir';

afterAll(removeTempDirs);
