import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { generateTrace } from '../unit/layout/traceBuilders';
import { loadTraceMessage, showTrace, spanAt } from './traceMessages';
import { useWebviewSession } from './webviewSession';

const ROW_HEIGHT_PX = 22;

interface RowsSnapshot {
  readonly positions: number[];
  /** Texts shown by each row, to compare with what a fresh render of the same rows shows. */
  readonly texts: string[];
  readonly onScreen: { readonly first: number; readonly end: number };
}

async function snapshot(page: Page): Promise<RowsSnapshot> {
  return page.evaluate(() => {
    const scroller = document.querySelector('.rows-scroll') as HTMLElement;
    const rows = [...document.querySelectorAll<HTMLElement>('.span-row')];
    return {
      positions: rows.map((row) => Number(row.dataset.position)),
      texts: rows.map((row) => `${row.id}|${row.title}|${row.getAttribute('aria-level')}|${row.className}|${row.textContent}`),
      onScreen: { first: Math.floor(scroller.scrollTop / 22), end: Math.ceil((scroller.scrollTop + scroller.clientHeight) / 22) },
    };
  });
}

/** Scrolls in one frame, rendering through the scroll event as the view does, and returns when painted. */
async function scrollTo(page: Page, scrollTopPx: number): Promise<void> {
  await page.evaluate(
    (top) =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => {
          const scroller = document.querySelector('.rows-scroll') as HTMLElement;
          scroller.scrollTop = top;
          scroller.dispatchEvent(new Event('scroll'));
          setTimeout(resolve, 0);
        }),
      ),
    scrollTopPx,
  );
}

describe('row list scrolling (Chromium)', function () {
  this.timeout(60_000);
  const session = useWebviewSession();

  it('keeps the elements of rows still shown after a short scroll and binds only the rows it brings in', async () => {
    const shown = showTrace(generateTrace(2_000));
    const page = await session.open();
    await page.postFromHost(loadTraceMessage(shown, {}));
    await page.page.waitForSelector('#waterfall[data-span-count="2000"]');
    await scrollTo(page.page, 300 * ROW_HEIGHT_PX);
    await page.page.waitForTimeout(300);
    const before = await snapshot(page.page);
    // Tag every row element, scroll by three rows, and see which elements kept their rows.
    await page.page.evaluate(() => document.querySelectorAll<HTMLElement>('.span-row').forEach((row) => row.setAttribute('data-tag', row.dataset.position ?? '')));
    await scrollTo(page.page, 303 * ROW_HEIGHT_PX);
    const after = await snapshot(page.page);
    assert.deepEqual(after.positions, [...Array(after.positions.length).keys()].map((index) => after.positions[0] + index), 'rows stay consecutive in DOM order');
    assert.equal(after.positions[0], before.positions[0] + 3);
    assert.equal(after.positions.length, before.positions.length);
    const tags = await page.page.$$eval('.span-row', (rows) => rows.map((row) => row.getAttribute('data-tag')));
    const kept = tags.filter((tag, index) => tag === String(after.positions[index])).length;
    assert.equal(kept, after.positions.length - 3, 'only the three rows scrolled in were rebound');
    // A fresh render of the same place shows exactly the same rows.
    await scrollTo(page.page, 0);
    await page.page.waitForTimeout(300);
    await scrollTo(page.page, 303 * ROW_HEIGHT_PX);
    await page.page.waitForTimeout(300);
    assert.deepEqual((await snapshot(page.page)).texts, after.texts);
  });

  it('after a jump shows the rows on screen at once and the overscan around them once scrolling pauses', async () => {
    const shown = showTrace(generateTrace(2_000));
    const page = await session.open();
    await page.postFromHost(loadTraceMessage(shown, {}));
    await page.page.waitForSelector('#waterfall[data-span-count="2000"]');
    await page.page.waitForTimeout(300);
    const settled = await snapshot(page.page);
    assert.equal(settled.positions[0], 0);
    assert.equal(settled.positions.at(-1), settled.onScreen.end + 4, 'five rows of overscan below the screen');

    await scrollTo(page.page, 1_000 * ROW_HEIGHT_PX);
    const jumped = await snapshot(page.page);
    assert.equal(jumped.positions[0], jumped.onScreen.first, 'no overscan in the jump frame');
    assert.equal(jumped.positions.at(-1), jumped.onScreen.end - 1);

    await page.page.waitForTimeout(300);
    const completed = await snapshot(page.page);
    assert.equal(completed.positions[0], completed.onScreen.first - 5);
    assert.equal(completed.positions.at(-1), completed.onScreen.end + 4);
    assert.deepEqual(completed.positions, [...Array(completed.positions.length).keys()].map((index) => completed.positions[0] + index));

    // A selected row in the overscan becomes the active descendant once the overscan is bound.
    const target = completed.onScreen.first - 2;
    await page.page.click(`.span-row[data-position="${completed.onScreen.first}"] .span-name`);
    await page.page.keyboard.press('ArrowUp');
    await page.page.keyboard.press('ArrowUp');
    assert.equal(await page.page.getAttribute('.rows-scroll', 'aria-activedescendant'), `span-row-${target}`);
  });

  it('shows the right rows, in order, through any mix of short scrolls and jumps', async () => {
    const shown = showTrace(generateTrace(3_000));
    const page = await session.open();
    await page.postFromHost(loadTraceMessage(shown, {}));
    await page.page.waitForSelector('#waterfall[data-span-count="3000"]');
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let top = 0;
    const maxTop = 3_000 * ROW_HEIGHT_PX - 400;
    const check = async (label: string, settled: boolean): Promise<void> => {
      const rows = await page.page.evaluate(() => {
        const scroller = document.querySelector('.rows-scroll') as HTMLElement;
        return {
          list: [...document.querySelectorAll<HTMLElement>('.span-row')].map((row) => ({
            position: Number(row.dataset.position),
            id: row.id,
            name: row.querySelector('.span-name')?.textContent ?? '',
            service: row.querySelector('.span-service')?.textContent ?? '',
          })),
          first: Math.floor(scroller.scrollTop / 22),
          end: Math.min(3000, Math.ceil((scroller.scrollTop + scroller.clientHeight) / 22)),
        };
      });
      const positions = rows.list.map((row) => row.position);
      assert.ok(positions.every((position, index) => index === 0 || position === positions[index - 1] + 1), `${label}: consecutive`);
      assert.ok(positions[0] <= rows.first && positions.at(-1)! >= rows.end - 1, `${label}: ${positions[0]}..${positions.at(-1)} covers ${rows.first}..${rows.end}`);
      if (settled) {
        assert.equal(positions[0], Math.max(0, rows.first - 5), `${label}: overscan above`);
        assert.equal(positions.at(-1), Math.min(2999, rows.end + 4), `${label}: overscan below`);
      }
      for (const row of rows.list) {
        const span = spanAt(shown, row.position);
        assert.equal(row.id, `span-row-${row.position}`);
        assert.equal(row.name, span.name, `${label}: name of ${row.position}`);
        assert.equal(row.service, span.resource.serviceName, `${label}: service of ${row.position}`);
      }
    };
    for (let step = 0; step < 60; step++) {
      const kind = random();
      const rowsBy = kind < 0.4 ? Math.round((random() - 0.5) * 8) : kind < 0.7 ? Math.round((random() - 0.5) * 60) : Math.round(random() * 3_000) - top / ROW_HEIGHT_PX;
      top = Math.max(0, Math.min(maxTop, top + rowsBy * ROW_HEIGHT_PX + (random() < 0.3 ? 7 : 0)));
      await scrollTo(page.page, top);
      await check(`step ${step}`, false);
      if (random() < 0.2) {
        await page.page.waitForTimeout(150);
        await check(`step ${step}, settled`, true);
      }
    }
  });
});
