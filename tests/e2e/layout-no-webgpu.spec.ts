// The layout check on every page and size, in a browser without WebGPU.
import { test } from '@playwright/test';
import { layoutTests } from './layout';
import { withoutWebGpu } from './helpers';

test.use({ launchOptions: withoutWebGpu });
layoutTests('no-webgpu');
