// My points: balance, what they are worth at checkout, and the ledger.
import { signIn } from '../../../api/auth';
import { api, errorText } from '../../../api/http';
import type { Answer } from '../../../api/types';

type Points = Answer<'/api/me/points', 'get'>;

Component({
  data: {
    balance: 0,
    rule: '',
    entries: [] as Array<{ id: number; delta: string; reason: string; at: string }>,
    error: '',
  },
  methods: {
    async onLoad() {
      try {
        await signIn();
        const p = await api<Points>('GET', '/api/me/points');
        this.setData({
          balance: p.balance,
          rule: `每消费 1 元得 ${p.policy.earnPerYuan} 积分，${p.policy.pointsPerYuan} 积分抵 1 元`,
          entries: p.entries.map((e) => ({
            id: e.id,
            delta: e.delta > 0 ? `+${e.delta}` : String(e.delta),
            reason: e.reason,
            at: e.at.slice(0, 10),
          })),
        });
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
  },
});
