// English names of the server's enum values (i18next namespace `enums`, keys <group>.<value>).
import type { Catalogue, enumsZh } from './enums-zh.ts';

export const enumsEn: Catalogue<typeof enumsZh> = {
  orderStatus: {
    pending_payment: 'Unpaid', paid: 'Paid', shipped: 'Shipped', delivered: 'Delivered', completed: 'Completed',
    cancelled: 'Cancelled', refunding: 'Refunding', refunded: 'Refunded',
  },
  refundStatus: { none: 'No refund', partial: 'Partly refunded', full: 'Fully refunded' },
  aftersaleStatus: {
    requested: 'Waiting for the shop', awaiting_return: 'Send it back', returned: 'Sent back', refunding: 'Refunding',
    refunded: 'Refunded', rejected: 'Rejected', cancelled: 'Withdrawn',
  },
  aftersaleType: { refund_only: 'Refund only', return_refund: 'Return & refund' },
  roomStatus: { scheduled: 'Scheduled', live: 'Live', ended: 'Ended' },
  roomVisibility: { public: 'Public', private: 'Private (invite links)' },
  role: { merchant_owner: 'Owner', merchant_staff: 'Staff', anchor: 'Anchor' },
  merchantStatus: { pending: 'Pending', active: 'Active', suspended: 'Suspended', rejected: 'Rejected' },
  productStatus: { draft: 'Draft', on_shelf: 'On shelf', off_shelf: 'Off shelf' },
  couponKind: { fixed: 'Cash off', percent: 'Percent off', threshold: 'Spend & save', free_shipping: 'Free shipping' },
  couponChannel: {
    claim_centre: 'Claim centre', room_drop: 'Live-room drop', new_user: 'New-customer gift', staff_issue: 'Issued by staff',
    lucky_bag: 'Lucky bag',
  },
  couponFunding: { platform: 'Platform coupon', merchant: 'Shop coupon' },
  campaignStatus: { active: 'Active', paused: 'Paused', ended: 'Ended' },
  promotionKind: {
    full_reduction: 'Spend & save', limited_discount: 'Limited-time discount', new_user_price: 'New-customer price',
  },
  flashState: { upcoming: 'Upcoming', running: 'Running', ended: 'Ended', cancelled: 'Cancelled' },
  groupStatus: { forming: 'Forming', succeeded: 'Complete', failed: 'Failed' },
  bargainStatus: { active: 'Bargaining', reached: 'At the floor price', bought: 'Bought', expired: 'Expired' },
  stockReason: {
    initial: 'Initial stock', adjust: 'Adjusted', import: 'Import', reserve: 'Reserved by an order', commit: 'Sold',
    release: 'Released', return: 'Returned',
  },
  pointsReason: {
    earned: 'Earned by shopping', spent: 'Used at checkout', returned: 'Given back on refund', reversed: 'Taken back on refund',
    adjusted: 'Adjusted',
  },
  segment: {
    champions: 'Champions', loyal: 'Loyal', new: 'New', at_risk: 'At risk', hibernating: 'Hibernating', others: 'Others',
  },
  wordAction: { mask: 'Mask', block: 'Block', review: 'Hold for review' },
  chatReportStatus: { open: 'Open', resolved: 'Resolved', dismissed: 'Dismissed' },
  runStatus: {
    queued: 'Queued', running: 'Running', clean: 'All clean', discrepancies: 'Discrepancies', failed: 'Failed',
  },
  runTrigger: { schedule: 'Daily', manual: 'Manual', cli: 'CLI' },
  checkStatus: { clean: 'Clean', discrepancies: 'Discrepancies', error: 'Could not finish' },
  funnelStage: {
    exposure: 'Exposure', enter: 'Entered', stayed_1min: 'Stayed ≥ 1 min', product_click: 'Product click', order: 'Ordered',
    paid: 'Paid',
  },
  alertMetric: {
    online_drop_pct: 'Viewers drop in a minute ≥ %', online_below: 'Viewers below', conversion_below: 'Conversion below %',
    gpm_below: 'GPM below (fen)',
  },
  experimentStatus: { running: 'Running', stopped: 'Stopped' },
  experimentGoal: {
    room_enter: 'Room entry', product_click: 'Product click', add_to_cart: 'Add to cart', checkout_start: 'Checkout start',
    share: 'Share', order: 'Order', order_paid: 'Payment', follow: 'Follow', comment: 'Comment',
  },
  reportBy: { time: 'By day', room: 'By room', product: 'By product' },
  inviteState: { valid: 'Valid', expired: 'Expired', revoked: 'Withdrawn' },
};
