// SPDX-License-Identifier: Apache-2.0
// Driving the case desk's detail page: the state it shows, the actions it offers (the
// server's allowed_actions) and one action done through its form.
import assert from 'node:assert/strict';

/** The state the case detail shows, once it has loaded. */
export async function shownState(page) {
  await page.waitForSelector('#case-state');
  return page.textContent('#case-state');
}

/** The action buttons the case detail offers, by action name. */
export async function offered(page) {
  await page.waitForSelector('#case-state');
  return page.$$eval('.action-buttons button', (els) => els.map((e) => e.dataset.action));
}

/** Click an action's button, let fill() fill its form, submit, and wait until the reloaded detail shows expectState. */
export async function act(page, action, expectState, fill) {
  assert.ok((await offered(page)).includes(action), `${action} is offered (offered: ${await offered(page)})`);
  await page.click(`.action-buttons button[data-action="${action}"]`);
  const form = `form.action-form[data-action="${action}"]`;
  await page.waitForSelector(form);
  if (fill) await fill(form);
  await page.click(`${form} button[type=submit]`);
  await page.waitForFunction(([f, s]) => !document.querySelector(f)
    && document.querySelector('#case-state')?.textContent === s, [form, expectState]);
  assert.equal(await shownState(page), expectState);
}
