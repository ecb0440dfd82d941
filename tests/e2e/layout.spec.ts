// The layout check on every page and size, in a browser with WebGPU (SwiftShader here).
import { layoutTests } from './layout';

layoutTests('webgpu');
