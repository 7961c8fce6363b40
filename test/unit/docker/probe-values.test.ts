import { describe, expect, it } from 'vitest';
import { probeValue, probeValues } from '../../../src/engine/checks/docker/probe-values.js';

// The build-arg values build.version-arg and image.labels build with: nothing a learner could type
// into the Dockerfile, yet the same for the same Dockerfile (so Docker's cache serves a second verify).
describe('probeValue', () => {
  const file = 'FROM golang:1.26\nARG VERSION=dev\n';
  it('is stable for one Dockerfile and changes with its text', () => {
    expect(probeValue(file, 'VERSION', 0)).toBe(probeValue(file, 'VERSION', 0));
    expect(probeValue(`${file}# edited\n`, 'VERSION', 0)).not.toBe(probeValue(file, 'VERSION', 0));
  });
  it('looks like a version, or like a commit for commit-like args', () => {
    expect(probeValue(file, 'VERSION', 0)).toMatch(/^[2-9]\.\d{1,2}\.\d{1,3}$/);
    expect(probeValue(file, 'COMMIT', 0)).toMatch(/^[0-9a-f]{12}$/);
  });
  it('gives distinct values for one arg', () => {
    const values = probeValues(file, 'VERSION', 2);
    expect(values).toHaveLength(2);
    expect(new Set(values).size).toBe(2);
    expect(values[0]).toBe(probeValue(file, 'VERSION', 0));
  });
});
