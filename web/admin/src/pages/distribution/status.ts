// Catalogue keys of the distribution states the server sends as strings.
const PROMOTER = ['invited', 'pending', 'approved', 'rejected', 'suspended'] as const;
const COMMISSION = ['pending', 'settled', 'reversed'] as const;
const WITHDRAWAL = ['requested', 'paying', 'paid', 'rejected', 'failed'] as const;

const pick = <T extends string>(list: readonly T[], v: string): T => (list.includes(v as T) ? (v as T) : list[0]!);

export const promoterKey = (s: string) => `distribution.status.${pick(PROMOTER, s)}` as const;
export const commissionKey = (s: string) => `distribution.commissionStatus.${pick(COMMISSION, s)}` as const;
export const withdrawalKey = (s: string) => `distribution.withdrawalStatus.${pick(WITHDRAWAL, s)}` as const;
export { COMMISSION, PROMOTER, WITHDRAWAL };
