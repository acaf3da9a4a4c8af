// SPDX-License-Identifier: Apache-2.0
// The one login page. After it each role lands on its own screen.
import { ApiError, login } from '../api';
import { currentLang, setLang, t } from '../i18n';
import type { Page } from '../main';
import { errText, h } from '../ui';

const HOME: Record<string, string> = {
  operator: '/command', leader: '/command', street: '/queue', community: '/queue',
  grid_worker: '/worker', department: '/queue', admin: '/grids',
};

const page: Page = (root, ctx) => {
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { class: 'form-error', id: 'login-error', role: 'alert', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'login-submit' }, t('login.submit'));
  const form = h('form', {
    class: 'login-form', novalidate: true,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      msg.textContent = '';
      if (!name.value.trim() || !pass.value) {
        msg.textContent = t('login.missing');
        return;
      }
      submit.disabled = true;
      submit.textContent = t('login.busy');
      try {
        const u = await login(name.value.trim(), pass.value);
        ctx.go(u.must_change_password ? '/password' : HOME[u.role] ?? '/grids');
      } catch (err) {
        pass.value = '';
        if (err instanceof ApiError && err.status === 423)
          msg.textContent = t('login.locked', { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 900) / 60)) });
        else if (err instanceof ApiError && (err.status === 401 || err.status === 422))
          msg.textContent = t('login.wrong');
        else if (err instanceof ApiError && err.status === 0) msg.textContent = t('state.network');
        else msg.textContent = errText(err);
        submit.disabled = false;
        submit.textContent = t('login.submit');
      }
    },
  },
  h('label', { for: 'login-name' }, t('login.name')), name,
  h('label', { for: 'login-password' }, t('login.password')), pass,
  msg, submit);

  root.classList.add('login-page');
  root.append(h('div', { class: 'login-card' },
    h('div', { class: 'login-head' },
      h('img', { src: '/favicon.svg', alt: '', width: 40, height: 40 }),
      h('div', null, h('h1', null, t('app.title')), h('p', { class: 'muted' }, t('login.subtitle'))),
    ),
    h('h2', null, t('login.title')),
    form,
    h('div', { class: 'login-foot' },
      h('a', { href: '/report', onclick: (e: Event) => { e.preventDefault(); ctx.go('/report'); } }, t('login.citizen')),
      h('button', {
        type: 'button', class: 'btn-link', id: 'lang',
        onclick: () => { setLang(currentLang() === 'zh' ? 'en' : 'zh'); ctx.go('/login', true); },
      }, t('lang.switch')),
    ),
  ));
  name.focus();
};

export default page;
