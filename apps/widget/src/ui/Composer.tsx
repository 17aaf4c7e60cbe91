import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { t } from '../i18n.ts';
import { SendIcon } from './icons.tsx';

interface ComposerProps {
  onSend: (text: string) => void;
  onTyping: (active: boolean) => void;
  inputRef: RefObject<HTMLTextAreaElement | null>;
}

/** Longest text the relay accepts (LIMITS.maxTextLength), inlined to keep protocol's schemas out of the bundle. */
const MAX_TEXT = 8000;

export function Composer({ onSend, onTyping, inputRef }: ComposerProps) {
  const [text, setText] = useState('');
  const empty = text.trim() === '';

  // Grow with the text up to the CSS max-height; set through the CSSOM, which a strict CSP allows.
  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text, inputRef]);

  const submit = () => {
    if (empty) return;
    onSend(text);
    setText('');
  };

  return (
    <form
      class="pw-composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={inputRef}
        class="pw-input"
        aria-label={t('message')}
        placeholder={t('placeholder')}
        rows={1}
        maxLength={MAX_TEXT}
        value={text}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          onTyping(value.trim() !== '');
        }}
        onKeyDown={(event) => {
          // Enter sends, Shift+Enter breaks the line; never mid-composition (IME users pick a word with Enter).
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit" class="pw-send" aria-label={t('send')} disabled={empty}>
        <SendIcon />
      </button>
    </form>
  );
}
