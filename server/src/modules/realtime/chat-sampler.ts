// Big rooms: nobody reads 200 messages a second. Past a display budget each viewer gets a sample of the
// room's chat (a token bucket per room and node: `perSec` a second, bursts of one second's worth) and a
// count of what was folded; every other frame (pins, coupon drops, lucky bags, flash sales, orders and gifts
// banners, moderation) is never sampled, and a sender still sees their own message (the hub sends it to them).
// The history kept for resume and the "last chats" on join are not affected.

/** How often viewers are told how many messages were folded (one small frame, not one per message). */
export const FOLD_REPORT_MS = 1000;

export class ChatSampler {
  private tokens: number;
  private refilledAt: number;
  private foldedSinceReport = 0;
  private reportedAt = 0;

  /** perSec 0: no sampling (every message goes to every viewer). */
  constructor(
    private readonly perSec: number,
    now = Date.now(),
  ) {
    this.tokens = perSec;
    this.refilledAt = now;
  }

  /** May this chat message go to every viewer? When not, it is counted as folded. */
  admit(now = Date.now()): boolean {
    if (this.perSec <= 0) return true;
    this.tokens = Math.min(this.perSec, this.tokens + ((now - this.refilledAt) / 1000) * this.perSec);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.foldedSinceReport += 1;
    return false;
  }

  /** The number folded since the last report, when a report is due (at most every FOLD_REPORT_MS), else 0. */
  takeFoldReport(now = Date.now()): number {
    if (this.foldedSinceReport === 0 || now - this.reportedAt < FOLD_REPORT_MS) return 0;
    const n = this.foldedSinceReport;
    this.foldedSinceReport = 0;
    this.reportedAt = now;
    return n;
  }

  /** Folded messages not reported yet (a report is due later). */
  get pendingFolded(): number {
    return this.foldedSinceReport;
  }
}
