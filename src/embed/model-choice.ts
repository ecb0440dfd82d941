// Which model the widget runs: the embedder's custom folder, a catalog key, or the catalog default,
// and the build this GPU can run. Throws EngineError 'bad-input' for an unknown key or a bad URL.
import { EngineError } from '../lib/engine/errors';
import {
  customModel,
  defaultModelKey,
  findModel,
  pickBuild,
  type CatalogModel,
  type ModelBuild,
} from '../lib/models/catalog';
import type { WidgetOptions } from './protocol';

/** The model the options name: a custom folder, a catalog key, or the catalog default. */
export function modelFor(options: WidgetOptions): CatalogModel {
  if (options.customModel) {
    return customModel({
      modelUrl: options.customModel.modelUrl,
      libUrl: options.customModel.libUrl,
      quantization: options.customModel.quantization ?? 'q4f32_1',
    });
  }
  const model = findModel(options.model ?? defaultModelKey);
  if (!model) throw new EngineError('bad-input', `Tally has no model called “${options.model}”.`);
  return model;
}

/** The first build of `model` this adapter's `features` can run. */
export function buildFor(model: CatalogModel, features: readonly string[]): ModelBuild | undefined {
  return pickBuild(model, new Set(features));
}
