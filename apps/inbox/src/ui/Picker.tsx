import type { ComponentChildren } from 'preact';
import { useId, useMemo, useState } from 'preact/hooks';

export interface PickerOption {
  id: string;
  label: string;
  /** Smaller text after the label: an email, "away", a time. */
  hint?: string;
  /** For toggles (labels): shown checked. */
  checked?: boolean;
  /** A colour swatch (labels). */
  color?: string;
}

/**
 * A filterable list to choose from by keyboard: type to narrow, ↑/↓ to move, Enter to choose.
 * The input is a combobox owning a listbox, so screen readers follow the active option.
 */
export function Picker({
  label,
  placeholder,
  options,
  onChoose,
  multi = false,
  empty = 'Nothing matches.',
  children,
}: {
  /** The input's accessible name. */
  label: string;
  placeholder: string;
  options: readonly PickerOption[];
  onChoose: (id: string) => void;
  /** Options toggle (with aria-checked) rather than choose once. */
  multi?: boolean;
  empty?: string;
  /** Extra fields under the list (a transfer note). */
  children?: ComponentChildren;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? options.filter((option) => `${option.label} ${option.hint ?? ''}`.toLowerCase().includes(q)) : options;
  }, [options, query]);
  const current = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (index: number) => `${listId}-${index}`;

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((current + 1) % Math.max(1, matches.length));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((current - 1 + matches.length) % Math.max(1, matches.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = matches[current];
      if (option) onChoose(option.id);
    }
  }

  return (
    <div class="picker">
      <input
        class="picker-input"
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={matches.length > 0 ? optionId(current) : undefined}
        placeholder={placeholder}
        value={query}
        data-autofocus
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} class="picker-list" role="listbox" aria-label={label} aria-multiselectable={multi || undefined}>
        {matches.map((option, index) => (
          <li
            key={option.id}
            id={optionId(index)}
            role="option"
            class={index === current ? 'picker-option picker-option-active' : 'picker-option'}
            aria-selected={multi ? option.checked === true : index === current}
            onMouseMove={() => setActive(index)}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onChoose(option.id)}
          >
            {multi && <span class={option.checked ? 'check check-on' : 'check'} aria-hidden="true" />}
            {option.color && <span class="swatch" style={{ background: option.color }} aria-hidden="true" />}
            <span class="picker-label">{option.label}</span>
            {option.hint && <span class="picker-hint">{option.hint}</span>}
          </li>
        ))}
      </ul>
      {matches.length === 0 && <p class="picker-empty">{empty}</p>}
      {children}
    </div>
  );
}
