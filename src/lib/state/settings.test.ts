import { describe, expect, test } from 'vitest';
import { defaults, validateSettings } from './settings.svelte';

describe('validateSettings', () => {
  test('nothing saved: defaults, no problems', () => {
    expect(validateSettings(undefined)).toEqual({ settings: defaults, problems: [] });
  });

  test('keeps valid fields and names the ones it dropped', () => {
    const { settings, problems } = validateSettings({
      engine: 'openai',
      modelKey: 'no-such-model',
      serverUrl: 'http://localhost:8000/v1',
      apiKey: 42,
    });
    expect(settings.engine).toBe('openai');
    expect(settings.serverUrl).toBe('http://localhost:8000/v1');
    expect(settings.modelKey).toBe(defaults.modelKey);
    expect(problems).toEqual(['modelKey', 'apiKey']);
  });

  test('garbage is reported, not thrown', () => {
    expect(validateSettings('{{{').problems).toEqual(['saved settings were unreadable']);
    expect(validateSettings([{ engine: 'openai' }]).problems).toEqual([
      'saved settings were unreadable',
    ]);
  });
});

describe('ensemble settings', () => {
  test('keeps sane numbers and refuses out-of-range or fractional ones', () => {
    const { settings, problems } = validateSettings({
      ensemble: true,
      k: 2.5,
      temperature: 0.3,
      topP: 7,
      stopKind: 'esc',
      escWindow: 3,
      weigh: 'yes',
    });
    expect(settings.ensemble).toBe(true);
    expect(settings.temperature).toBe(0.3);
    expect(settings.stopKind).toBe('esc');
    expect(settings.escWindow).toBe(3);
    expect(settings.k).toBe(defaults.k);
    expect(settings.topP).toBe(defaults.topP);
    expect(problems).toEqual(['k', 'topP', 'weigh']);
  });
});

describe('program settings', () => {
  test('keeps a valid program choice and time limit, refuses the rest, and reads older records', () => {
    const good = validateSettings({ program: true, sampleKinds: 'both', programTimeLimit: 2.5 });
    expect(good.problems).toEqual([]);
    expect(good.settings).toMatchObject({
      program: true,
      sampleKinds: 'both',
      programTimeLimit: 2.5,
    });
    const bad = validateSettings({
      program: 'on',
      sampleKinds: 'toString',
      programTimeLimit: 0.2,
    });
    expect(bad.settings).toMatchObject({
      program: false,
      sampleKinds: 'prose',
      programTimeLimit: 5,
    });
    expect(bad.problems).toEqual(['programTimeLimit', 'program', 'sampleKinds']);
    // saved before the program path existed: every program setting takes its default
    expect(validateSettings({ ensemble: true, k: 8 })).toEqual({
      settings: { ...defaults, ensemble: true, k: 8 },
      problems: [],
    });
  });
});
