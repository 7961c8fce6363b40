import { useEffect, useState } from 'react';
import type { Lang, TutorialApi } from '../../engine/index.js';

export interface LessonText {
  readonly text?: string;
  readonly error?: unknown;
}

/** Loads a lesson's markdown in a language; the previous text stays on screen until the new one arrives. */
export const useLessonText = (api: TutorialApi, lessonId: string, lang: Lang): LessonText => {
  const [state, setState] = useState<LessonText>({});
  useEffect(() => {
    let live = true;
    api.lessonText(lessonId, lang).then(
      (text) => live && setState({ text }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [api, lessonId, lang]);
  return state;
};
