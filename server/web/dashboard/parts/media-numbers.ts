// How a file is called everywhere in the dashboard: "Photo 2", "Audio 1", numbered from 1 among the
// order's files of its type, oldest capture first. The order page, the evidence picker and the preview
// all use it, so "Photo 2" on one screen is "Photo 2" on the next.
import type { Capture, Media } from '../api';

export function mediaNumbers(captures: readonly Pick<Capture, 'media'>[]): (media: Pick<Media, 'id'>) => number {
  const numbers = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const capture of captures) {
    for (const media of capture.media) {
      const next = (counts.get(media.type) ?? 0) + 1;
      counts.set(media.type, next);
      numbers.set(media.id, next);
    }
  }
  return (media) => numbers.get(media.id) ?? 1;
}
