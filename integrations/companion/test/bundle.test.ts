/**
 * The packaging step: the module bundles (esbuild, as the README says) into one ESM file that Companion can load:
 * a default-exported InstanceBase subclass and the named UpgradeScripts, with the core inside.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const here = import.meta.dirname;

it('bundles into one file that exports the module class and its upgrade scripts', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-companion-bundle-'));
  try {
    const outfile = path.join(dir, 'main.js');
    await build({
      entryPoints: [path.join(here, '../src/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile,
      logLevel: 'silent',
    });
    const text = fs.readFileSync(outfile, 'utf8');
    expect(text.length).toBeLessThan(200_000);
    // The core is inside (no import reaches outside the bundle but Node's own modules).
    expect(text).not.toMatch(/from ["']\.\.?\//);
    const mod = (await import(pathToFileURL(outfile).href)) as {
      default: new (ctx: unknown) => { getConfigFields(): Array<{ id: string }> };
      UpgradeScripts: unknown[];
    };
    expect(Array.isArray(mod.UpgradeScripts)).toBe(true);
    const ctx = { _isInstanceContext: true, id: 'bundle-test', label: 'keeptime', upgradeScripts: [] };
    const instance = new mod.default(ctx);
    expect(instance.getConfigFields().map((f) => f.id)).toEqual(['info', 'url', 'mode', 'link', 'apiToken', 'room']);
    // Constructed the wrong way (not by Companion), the base class refuses, as in a real module.
    expect(() => new mod.default({})).toThrow(/constructed incorrectly/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('has a manifest that passes Companion’s own validation (strict)', async () => {
  const { validateManifest } = await import('@companion-module/base/manifest');
  const manifest = JSON.parse(fs.readFileSync(path.join(here, '../companion/manifest.json'), 'utf8'));
  expect(() => validateManifest(manifest, false)).not.toThrow();
  expect(manifest.runtime).toMatchObject({ type: 'node22', entrypoint: '../dist/main.js' });
  expect(() => validateManifest({ ...manifest, runtime: { ...manifest.runtime, type: undefined } }, false)).toThrow();
});
