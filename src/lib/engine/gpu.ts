// What this device's WebGPU can do, and which catalog models it can run, with the reason for each.
// The probe never throws: a missing or failing adapter is reported as a GpuReport with a reason.
import { pickBuild, type CatalogModel, type ModelBuild } from '../models/catalog';
import { buildNames, halfPrecision, halfPrecisionTerm } from './gpu-words';

/** What the browser told us about its GPU. */
export interface GpuReport {
  /** false when navigator.gpu is missing or no adapter was granted */
  available: boolean;
  /** why WebGPU is unavailable, in words a person can act on */
  reason?: string;
  /** e.g. 'google' / 'swiftshader' */
  vendor: string;
  architecture: string;
  description: string;
  /** a software or fallback adapter: real kernels run, a 7B model will not in useful time */
  fallback: boolean;
  features: string[];
  /** bytes */
  maxBufferSize: number;
  /** bytes */
  maxStorageBufferBindingSize: number;
  /** estimated GPU memory, megabytes; 0 when unknown. Browsers do not expose VRAM. */
  memoryEstimateMB: number;
}

export interface ModelFit {
  model: CatalogModel;
  /** the build this device would use, if any */
  build?: ModelBuild;
  fits: boolean;
  /** why it does not fit, or a caveat when it does */
  note: string;
}

const noGpu: Omit<GpuReport, 'available' | 'reason'> = {
  vendor: '',
  architecture: '',
  description: '',
  fallback: false,
  features: [],
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
  memoryEstimateMB: 0,
};

/** Software adapters, by what Chromium reports for them. */
function isSoftware(info: GPUAdapterInfo): boolean {
  return /swiftshader|llvmpipe|software|basic render/i.test(
    `${info.vendor} ${info.architecture} ${info.description}`,
  );
}

/**
 * Browsers hide VRAM. Estimate it from what they do show: navigator.deviceMemory (RAM in GB,
 * capped at 8 by Chromium) for integrated and unknown GPUs, which share system memory.
 */
function estimateMemoryMB(deviceMemoryGB: number | undefined): number {
  return deviceMemoryGB ? Math.round(deviceMemoryGB * 1024 * 0.75) : 0;
}

export async function probeGpu(nav: Navigator = navigator): Promise<GpuReport> {
  if (!('gpu' in nav)) {
    return {
      ...noGpu,
      available: false,
      reason:
        'It has no WebGPU: that takes a recent Chrome or Edge (113+), or Safari 26+, with hardware acceleration on.',
    };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { ...noGpu, available: false, reason: `WebGPU failed to start: ${String(error)}` };
  }
  if (!adapter) {
    return {
      ...noGpu,
      available: false,
      reason:
        'It has WebGPU, but the browser gave Tally no GPU: hardware acceleration may be off or the GPU blocklisted. In Chrome or Edge, turn on “Use graphics acceleration” and check chrome://gpu.',
    };
  }
  const info = adapter.info;
  const deviceMemory = (nav as Navigator & { deviceMemory?: number }).deviceMemory;
  return {
    available: true,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    fallback: info.isFallbackAdapter || isSoftware(info),
    features: [...adapter.features].sort(),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    memoryEstimateMB: estimateMemoryMB(deviceMemory),
  };
}

/** Which build of each model this device would run, and whether it fits. Pure. */
export function assessFit(report: GpuReport, models: readonly CatalogModel[]): ModelFit[] {
  const features = new Set(report.features);
  return models.map((model) => {
    if (!report.available) {
      return { model, fits: false, note: 'Needs WebGPU.' };
    }
    const build = pickBuild(model, features);
    if (!build) {
      const missing = model.builds[0]?.required_features.filter((f) => !features.has(f)) ?? [];
      const named = missing.map((f) => (f === halfPrecisionTerm ? halfPrecision : f));
      return { model, fits: false, note: `This GPU lacks ${named.join(', ')}.` };
    }
    if (report.memoryEstimateMB > 0 && build.vram_required_MB > report.memoryEstimateMB) {
      const need = (build.vram_required_MB / 1024).toFixed(1);
      const have = (report.memoryEstimateMB / 1024).toFixed(1);
      return {
        model,
        build,
        fits: false,
        note: `Needs about ${need} GB of GPU memory; this device has an estimated ${have} GB.`,
      };
    }
    // on a software GPU the device panel says once that every model is too slow
    const note = report.fallback
      ? ''
      : build.quantization === 'q4f32_1' && model.builds.length > 1
        ? `Uses its ${buildNames.q4f32_1}: this GPU lacks ${halfPrecision}.`
        : '';
    return { model, build, fits: true, note };
  });
}
