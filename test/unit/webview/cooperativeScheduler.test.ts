import { strict as assert } from 'node:assert';
import { CooperativeScheduler } from '../../../webview/cooperativeScheduler';

// Node has MessageChannel and timers but no frames: the test plays the frame callbacks itself.
type FrameCallback = (time: number) => void;
const globals = globalThis as { requestAnimationFrame?: (callback: FrameCallback) => number };

function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('CooperativeScheduler', () => {
  let frames: FrameCallback[] = [];
  const original = globals.requestAnimationFrame;
  beforeEach(() => {
    frames = [];
    globals.requestAnimationFrame = (callback) => frames.push(callback);
  });
  afterEach(() => {
    globals.requestAnimationFrame = original;
  });

  it('runs a job in slices until it reports done', async () => {
    const scheduler = new CooperativeScheduler();
    let calls = 0;
    scheduler.schedule('job', () => ++calls === 3);
    await settle(20);
    assert.equal(calls, 3);
    assert.equal(scheduler.has('job'), false);
    scheduler.dispose();
  });

  it('holds slices until the task after the next frame', async () => {
    const scheduler = new CooperativeScheduler();
    scheduler.holdUntilNextFrame();
    let ran = false;
    scheduler.schedule('job', () => (ran = true));
    await settle(20);
    assert.equal(ran, false, 'ran before the frame');
    assert.equal(frames.length, 1);
    frames[0](0);
    assert.equal(ran, false, 'ran inside the frame callback');
    await settle(20);
    assert.equal(ran, true);
    scheduler.dispose();
  });

  it('releases a hold without frames after a while, as in a hidden webview', async () => {
    const scheduler = new CooperativeScheduler();
    scheduler.holdUntilNextFrame();
    let ran = false;
    scheduler.schedule('job', () => (ran = true));
    await settle(100);
    assert.equal(ran, false);
    await settle(250);
    assert.equal(ran, true);
    scheduler.dispose();
  });

  it('runs nothing once disposed during a hold', async () => {
    const scheduler = new CooperativeScheduler();
    scheduler.holdUntilNextFrame();
    let ran = false;
    scheduler.schedule('job', () => (ran = true));
    scheduler.dispose();
    frames[0](0);
    await settle(300);
    assert.equal(ran, false);
  });
});
