/** Small builders for @vscode-elements controls, so views read as layouts rather than attribute lists. */
import { h } from './dom';

export interface Choice {
  value: string;
  label: string;
}

/**
 * A single-select whose value we track ourselves: the element reads its slotted options
 * asynchronously, so its own `value` is not reliable right after it is built or refilled.
 */
export interface Select {
  element: HTMLElementTagNameMap['vscode-single-select'];
  readonly value: string;
  setValue(value: string): void;
  /** Replaces the options, keeping the value when it is still offered (else the first option). */
  setChoices(choices: readonly Choice[], value: string): void;
  onChange(handler: (value: string) => void): void;
}

function fillOptions(element: HTMLElement, choices: readonly Choice[], value: string): void {
  while (element.firstChild) element.removeChild(element.firstChild);
  for (const choice of choices) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', choice.value);
    if (choice.value === value) option.setAttribute('selected', '');
    option.textContent = choice.label;
    element.appendChild(option);
  }
}

export function select(choices: readonly Choice[], value: string, label: string): Select {
  const element = document.createElement('vscode-single-select');
  element.setAttribute('aria-label', label);
  let current = value;
  let offered = new Set<string>();
  const handlers: ((value: string) => void)[] = [];
  // The element also fires `change` while it settles after being filled; only a real pick counts.
  element.addEventListener('change', () => {
    const picked = element.value;
    if (picked === current || !offered.has(picked)) return;
    current = picked;
    for (const handler of handlers) handler(current);
  });
  const control: Select = {
    element,
    get value() { return current; },
    setValue: (next) => {
      current = next;
      element.value = next;
    },
    setChoices: (next, wanted) => {
      offered = new Set(next.map((c) => c.value));
      current = offered.has(wanted) ? wanted : (next[0]?.value ?? '');
      fillOptions(element, next, current);
      element.value = current;
    },
    onChange: (handler) => handlers.push(handler),
  };
  control.setChoices(choices, value);
  return control;
}

export function textfield(value: string, placeholder: string, label: string): HTMLElementTagNameMap['vscode-textfield'] {
  const element = document.createElement('vscode-textfield');
  element.placeholder = placeholder;
  element.value = value;
  element.setAttribute('aria-label', label);
  return element;
}

export function checkbox(checked: boolean, label: string): HTMLElementTagNameMap['vscode-checkbox'] {
  const element = document.createElement('vscode-checkbox');
  element.label = label;
  element.checked = checked;
  return element;
}

export function button(label: string, onClick: () => void, secondary = false): HTMLElementTagNameMap['vscode-button'] {
  const element = document.createElement('vscode-button');
  element.textContent = label;
  if (secondary) element.secondary = true;
  element.addEventListener('click', onClick);
  return element;
}

export function labelled(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), control);
}
