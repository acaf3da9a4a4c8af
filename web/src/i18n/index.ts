// SPDX-License-Identifier: Apache-2.0
// The message catalogues and the current language (Simplified Chinese unless the user
// switched; the choice is kept in localStorage).
import zh, { type MessageKey } from './zh';
import en from './en';

export type Lang = 'zh' | 'en';
export type { MessageKey };

const catalogues: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORE_KEY = 'gridgov.lang';

function initial(): Lang {
  try {
    const v = localStorage.getItem(STORE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* storage blocked: default language */
  }
  return 'zh';
}

let lang: Lang = initial();

export function currentLang(): Lang {
  return lang;
}

export function setLang(l: Lang): void {
  lang = l;
  try {
    localStorage.setItem(STORE_KEY, l);
  } catch {
    /* not persisted, still switched */
  }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

/** The message for key in the current language, with {name} placeholders filled. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const s = catalogues[lang][key] ?? key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A message whose key is built at run time (states, actions, levels); the raw value if unknown. */
export function tk(prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  return key in catalogues[lang] ? catalogues[lang][key] : value;
}

setLang(lang);
