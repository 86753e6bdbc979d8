// Catalogue keys of the distribution states the server sends as strings.
const PROMOTER = ['invited', 'pending', 'approved', 'rejected', 'suspended'] as const;
const COMMISSION = ['pending', 'settled', 'reversed'] as const;
const WITHDRAWAL = ['requested', 'paying', 'paid', 'rejected', 'failed'] as const;
const LEDGER = ['commission_settled', 'commission_reversed', 'withdrawal', 'withdrawal_returned'] as const;

const pick = <T extends string>(list: readonly T[], v: string): T => (list.includes(v as T) ? (v as T) : list[0]!);

export const statusKey = (s: string) => `promoter.status.${pick(PROMOTER, s)}` as const;
export const commissionKey = (s: string) => `promoter.commissionStatus.${pick(COMMISSION, s)}` as const;
export const withdrawalKey = (s: string) => `promoter.withdrawalStatus.${pick(WITHDRAWAL, s)}` as const;
export const ledgerKey = (s: string) => `promoter.ledgerReason.${pick(LEDGER, s)}` as const;
