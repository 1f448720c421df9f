#!/usr/bin/env node
// Entry point of the `xsinfer` CLI: registers tsx so the host TypeScript runs without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../host/cli/main.ts');
await main(process.argv);
