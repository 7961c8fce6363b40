import { useApp } from 'ink';
import { useState } from 'react';
import type { Lang, Localized, TutorialApi } from '../engine/index.js';
import { errorText } from './components/ErrorBanner.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { WatchFn } from './hooks/use-watch.js';
import { M, fillL, otherLang } from './messages.js';
import { gotoNotice } from './notices.js';
import { LessonScreen } from './screens/LessonScreen.js';
import { ListScreen } from './screens/ListScreen.js';
import type { Theme } from './theme.js';

export interface AppProps {
  readonly api: TutorialApi;
  readonly initialLang: Lang;
  /** true: no file watching; the learner presses v. */
  readonly manual: boolean;
  readonly theme: Theme;
  readonly watch: WatchFn;
  readonly openInEditor?: (path: string) => Promise<void>;
  /** $VISUAL or $EDITOR, when set; shown while editing and required by `e`. */
  readonly editorName?: string;
  readonly onLangChange?: (lang: Lang) => void;
  readonly startScreen?: 'lesson' | 'list';
  /** The current lesson's files changed since its last verdict (measured before the first frame). */
  readonly changedWhileAway?: boolean;
  /** Called when the learner quits, just before the app unmounts. */
  readonly onExit?: () => void;
}

interface Opened {
  readonly lessonId: string;
  readonly arrival?: Localized;
  readonly changedWhileAway?: boolean;
  /** Bumped on every goto so the lesson screen starts fresh even for the same lesson. */
  readonly serial: number;
}

/** The screen switch: the list or one lesson, chosen by state (Ink's "routing is just screen state"). */
export const App = (props: AppProps) => {
  const { api } = props;
  const { exit } = useApp();
  const size = useTerminalSize();
  const [lang, setLang] = useState(props.initialLang);
  const [screen, setScreen] = useState(props.startScreen ?? 'lesson');
  const [opened, setOpened] = useState<Opened>(() => ({ lessonId: api.currentLessonId(), serial: 0, changedWhileAway: props.changedWhileAway }));

  const open = async (lessonId: string, because?: Localized): Promise<void> => {
    const result = await api.goto(lessonId);
    setOpened((o) => ({ lessonId, arrival: because ?? gotoNotice(result), serial: o.serial + 1 }));
    setScreen('lesson');
  };

  const toggleLang = async (): Promise<Localized | undefined> => {
    const next = otherLang(lang);
    setLang(next);
    props.onLangChange?.(next);
    try {
      await api.setLang(next);
      return undefined;
    } catch (error) {
      return fillL(M.lang.saveFailed, { error: errorText(error) });
    }
  };

  const quit = () => {
    props.onExit?.();
    exit();
  };
  const lessons = api.lessons();
  const nextLessonId = lessons[lessons.findIndex((l) => l.id === opened.lessonId) + 1]?.id;

  if (screen === 'list') {
    return (
      <ListScreen
        api={api}
        lang={lang}
        theme={props.theme}
        size={size}
        openedId={opened.lessonId}
        onOpen={open}
        onBack={() => setScreen('lesson')}
        onToggleLang={toggleLang}
        onQuit={quit}
      />
    );
  }
  return (
    <LessonScreen
      key={`${opened.lessonId}#${opened.serial}`}
      api={api}
      lessonId={opened.lessonId}
      lang={lang}
      theme={props.theme}
      size={size}
      manual={props.manual}
      watch={props.watch}
      openInEditor={props.openInEditor}
      editorName={props.editorName}
      nextLessonId={nextLessonId}
      arrival={opened.arrival}
      changedWhileAway={opened.changedWhileAway}
      onOpen={open}
      onList={() => setScreen('list')}
      onToggleLang={toggleLang}
      onQuit={quit}
    />
  );
};
