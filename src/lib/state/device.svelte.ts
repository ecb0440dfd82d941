// What this device can run: the WebGPU probe and the catalog fit, computed once per page.
// Probing never throws; a missing adapter is a report with a reason.
import { assessFit, probeGpu, type GpuReport } from '../engine/gpu';
import { catalog } from '../models/catalog';

export class DeviceState {
  /** undefined until the probe finishes */
  report = $state.raw<GpuReport | undefined>();
  fits = $derived(this.report ? assessFit(this.report, catalog) : []);

  async probe(): Promise<GpuReport> {
    const report = await probeGpu();
    this.report = report;
    return report;
  }
}
