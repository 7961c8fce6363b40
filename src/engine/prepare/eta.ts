/**
 * Time left for a transfer going at its average rate so far; undefined until it can be said: after
 * 3 s and 2% of the bytes (docker save is slow to start, and its first second said "413 h left").
 */
export const etaSeconds = (done: number, total: number, elapsedMs: number): number | undefined => {
  if (done <= 0 || total <= 0 || elapsedMs < 3000 || done < total * 0.02 || done >= total) return done >= total && total > 0 ? 0 : undefined;
  const rate = done / elapsedMs;
  return Math.ceil((total - done) / rate / 1000);
};

/**
 * The overall time left of a prepare: by bytes when the registries gave sizes, else by images
 * (the average time of the pulls so far for each one still to come).
 */
export const overallEta = (p: { bytesDone: number; bytesTotal: number; imagesDone: number; imagesToPull: number; elapsedMs: number }): number | undefined => {
  if (p.bytesTotal > 0) return etaSeconds(p.bytesDone, p.bytesTotal, p.elapsedMs);
  if (p.imagesDone <= 0 || p.imagesToPull <= 0) return undefined;
  return Math.ceil(((p.elapsedMs / p.imagesDone) * Math.max(0, p.imagesToPull - p.imagesDone)) / 1000);
};
