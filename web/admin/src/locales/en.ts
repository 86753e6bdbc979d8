// The console's English texts: the same keys as zh.ts (the type makes a missing or extra key an error).
import type { Catalogue } from '@livemall/sdk';
import type { zh } from './zh.ts';

export const en: Catalogue<typeof zh> = {
  common: {
    loadFailed: 'Failed to load', retry: 'Retry', save: 'Save', add: 'Add', delete: 'Delete', search: 'Search', status: 'Status',
    actions: 'Actions', time: 'Time', note: 'Note', yes: 'Yes', no: 'No', defaultSku: 'Default',
  },
  nav: {
    brand: 'LiveMall Console', dashboard: 'Dashboard', products: 'Products', inventory: 'Inventory', orders: 'Orders',
    aftersales: 'After-sales', live: 'Live', marketing: 'Marketing', members: 'Members', data: 'Data',
    reconciliation: 'Reconciliation', platform: 'Platform', reconcileAll: 'All shops', signOut: 'Sign out',
  },
  banner: { testMoney: 'Payment sandbox on: orders paid in the sandbox cashier are test money, nothing is charged' },
  shopStatus: {
    pending: 'Waiting for approval: prepare your products; rooms and streaming open once approved.',
    suspended: 'Suspended by the platform: products and rooms are hidden from shoppers; nothing new can be created.',
    rejected: 'The shop application was rejected; contact the platform.',
  },
  login: { title: 'LiveMall Console', phone: 'Phone', password: 'Password', signIn: 'Sign in' },
  dashboard: {
    todayGmv: 'GMV today', paidOrders: 'Paid orders today', liveNow: 'Live now', watching: 'Watching', visitors: 'Visitors today',
    conversion: 'Conversion', shows: 'Shows', weekGmv: 'GMV, last 7 days', lastWeek: 'Last 7 days', gmvSeries: 'GMV (¥)',
    ordersSeries: 'Orders',
  },
  products: {
    title: 'Products', new: 'New product', putOnShelf: 'Put on shelf', takeOffShelf: 'Take off shelf', product: 'Product',
    price: 'Price', sales: 'Sales', onSale: 'On sale', notOnSale: 'Not on sale', newTitle: 'New product', editTitle: 'Edit product',
    import: 'Import CSV', importFailed: 'Import failed', errorReport: 'Error report {{n}}',
  },
  editor: {
    title: 'Title', subtitle: 'Subtitle', category: 'Category', cover: 'Cover', upload: 'Upload', uploadFailed: 'Upload failed',
    gallery: 'Gallery', video: 'video', specs: 'Specs (→ SKU matrix)', spec: 'Spec', specNameExample: 'Colour',
    specValuesExample: 'Red, Blue', price: 'Price (¥)', required: 'Required', aboveZero: 'Must be above ¥0.00',
    was: 'Was (¥)', stock: 'Stock', weight: 'Weight (kg)', code: 'Code', onSale: 'On sale',
    reservedHint: 'Reserved by unpaid orders', reservedShort: 'held {{n}}', availableShort: 'avail. {{n}}',
    initialStock: 'Initial stock', description: 'Description', saved: 'Saved', priceRequired: 'Price required (above ¥0.00): {{skus}}',
    conflict: 'Someone else saved this product after you opened it',
    conflictHint: 'Reload it and make your change again, so theirs is not lost.', reload: 'Reload',
  },
  stock: {
    title: 'Adjust stock · {{name}}', apply: 'Apply', adjust: 'Adjust stock', onHand: 'On hand', reserved: 'Reserved',
    available: 'Available', after: 'After:', enterDelta: 'Enter a change, e.g. +10 or -2',
    applied: 'On hand {{onHand}}, available {{available}}', defaultWarehouse: '{{name}} (default)',
    belowReserved: 'On hand cannot go below the {{n}} units reserved by unpaid orders',
    reasons: { goodsIn: 'Goods in', stocktake: 'Stocktake', damaged: 'Damaged', returned: 'Returned', other: 'Other' },
  },
  skuPicker: { product: 'Product', stock: 'stock {{n}}' },
  inventory: {
    title: 'Inventory', stock: 'Stock', ledger: 'Ledger', lowOnly: 'Low stock only', product: 'Product', warehouse: 'Warehouse',
    low: 'low', deltaOnHand: 'On hand change', deltaReserved: 'Reserved change', after: 'After (on hand / reserved)',
    reason: 'Reason', order: 'Order',
  },
  orders: {
    title: 'Orders', export: 'Export CSV', search: 'Order no. / buyer / product', orderNo: 'Order no.', items: 'Items',
    paid: 'Paid', room: 'Room', placedAt: 'Placed at', detail: 'Order', shipTo: 'Ship to', breakdown: 'Breakdown',
    total: 'Total {{total}}', totalParts: '(goods {{goods}} − discounts {{discount}} + shipping {{shipping}})', carrier: 'Carrier',
    trackingNo: 'Tracking no.', ship: 'Ship',
  },
  aftersales: {
    title: 'After-sales', number: 'No.', order: 'Order', type: 'Type', reason: 'Reason', amount: 'Amount', approve: 'Approve',
    reject: 'Reject', receive: 'Received, refund', rejectTitle: 'Reject this request?', rejectHint: 'The buyer will see why',
    rejectReason: 'Does not meet the after-sales conditions',
  },
  rooms: {
    title: 'Live rooms', new: 'New room', roomTitle: 'Title', startsAt: 'Starts at', reminders: 'Reminders', viewers: 'Viewers',
    pushSettings: 'OBS settings', invites: 'Invites', console: 'Console', scheduledAt: 'Scheduled start (trailer)', cover: 'Cover',
    uploadCover: 'Upload cover', bag: 'Product bag', visibility: 'Visibility', create: 'Create',
  },
  push: {
    title: 'OBS guide', rotate: 'Rotate key', server: 'Server:', streamKey: 'Stream key:', pushUrl: 'Push URL:',
    obsGuide: 'OBS → Settings → Stream: choose "Custom", enter the server and the stream key. Keyframe interval {{keyframe}}s, '
      + 'video {{video}} kbps, audio {{audio}} kbps, {{resolution}} @ {{fps}}fps, {{encoder}}, {{rateControl}}.',
  },
  invites: {
    title: 'Invite links', days: 'Days', forWhom: 'For whom', issue: 'Issue', expires: 'Expires', withdraw: 'Withdraw',
  },
  live: {
    alert: 'Live alert', sound: 'Sound', ended: 'The show has ended', waiting: 'Waiting for the stream…',
    endConfirm: 'End the show?', end: 'End', online: 'Online', viewers: 'Viewers', likes: 'Likes', comments: 'Comments',
    paidOrders: 'Paid orders', gpm: 'GPM (¥ per 1,000 views)', orders: 'Orders', gmvSeries: 'GMV (¥)', gpmSeries: 'GPM (¥)',
    countAxis: 'online / orders', realtime: 'Live', product: 'Product', explaining: 'Explaining', stock: 'Stock',
    stopExplaining: 'Stop explaining', explain: 'Explain',
  },
  analytics: {
    title: 'Analytics', viewers: 'Viewers', views: 'Views', avgWatch: 'Avg watch', peak: 'Peak online', followers: 'New followers',
    interaction: 'Interaction', conversion: 'Conversion', fromPrevious: 'From the previous step {{pct}}',
  },
  tools: {
    chat: 'Chat', slowMode: 'Slow mode', off: 'Off', noChat: 'No messages yet', mute: 'Mute', muted: '{{name}} muted for 10 minutes',
    slowOn: 'Slow mode {{n}}s', slowOff: 'Slow mode off', dropCoupons: 'Drop coupons', coupon: 'Coupon',
    couponOption: '{{title}} ({{terms}})', quantity: 'Quantity', minutes: 'Minutes valid', drop: 'Drop', dropped: 'Coupons dropped',
    luckyBag: 'Lucky bag', bagTitle: 'Name', prize: 'Prize', prizeExample: 'e.g. a box of mangoes', winners: 'Winners',
    countdown: 'Countdown (minutes)', keyword: 'Keyword to enter (empty: follow to enter)', startBag: 'Start',
    bagStarted: 'Lucky bag started', bagDefaultTitle: 'Live-room lucky bag', bagDefaultKeyword: 'lucky bag please',
  },
  words: { shopTitle: 'Shop word list', platformTitle: 'Platform word list (all rooms)', word: 'Word', action: 'Action' },
  platform: {
    dashboard: 'Dashboard', merchants: 'Merchants', words: 'Word list', reports: 'Reports',
    reportsTitle: 'Reported messages (all shops)', room: 'Room', text: 'Text', reason: 'Reason',
    gmvTitle: 'GMV today {{today}} · last 7 days {{week}}', merchant: 'Merchant', todayOrders: 'Orders today',
    todayGmv: 'GMV today', weekOrders: 'Orders, 7 days', weekGmv: 'GMV, 7 days', merchantName: 'Shop name',
    ownerPhone: "Owner's phone", onboard: 'Onboard', name: 'Name', commission: 'Commission',
    actions: { approve: 'Approve', reject: 'Reject', suspend: 'Suspend', reinstate: 'Reinstate' },
  },
  marketing: {
    title: 'Marketing', coupons: 'Coupons', promotions: 'Promotions', flash: 'Flash sales', groups: 'Group buy',
    bargains: 'Bargain', name: 'Name', threshold: 'Spend (¥)', amountOff: 'Off (¥)', percentOff: '% off', total: 'Total',
    perUser: 'Per person', validDays: 'Days valid after claim', create: 'Create', created: 'Created', rule: 'Terms',
    claimedOfTotal: 'Claimed / total', used: 'Used', channels: 'Channels', tiersExample: 'Name, e.g. ¥30 off over ¥199',
    createTiers: 'Create spend & save', dealPrice: 'Deal price (¥)', createDiscount: 'Create discount', kind: 'Kind',
    when: 'When', paidOrders: 'Paid orders', discountGiven: 'Discount given', flashPrice: 'Flash price (¥)', stock: 'Stock',
    limit: 'Per person', createFlash: 'Create flash sale', session: 'Session', starts: 'Starts', ends: 'Ends', sold: 'Sold',
    flashItem: '{{title}}: {{price}}, sold {{sold}}/{{stock}}, {{remaining}} left, {{limit}} per person',
    groupPrice: 'Group price', groupSize: 'Group size', groupMinutes: 'Time to fill (min)', autoFill: 'Fill the last seat',
    createGroup: 'Create group buy', campaign: 'Campaign', results: 'Results',
    groupResults: 'complete {{succeeded}} · forming {{forming}} · failed {{failed}}', floorPrice: 'Floor price',
    helpsNeeded: 'Helps needed', validHours: 'Hours valid', createBargain: 'Create bargain',
    bargainResults: 'bargaining {{active}} · at the floor {{reached}} · bought {{bought}}',
  },
  members: {
    title: 'Members', segment: 'Segment', coupon: 'Coupon', issue: 'Issue to this segment',
    issued: 'Issued {{issued}}, skipped {{skipped}}', member: 'Member', orders: 'Orders', spent: 'Spent', points: 'Points',
    coupons: 'Shop coupons held', lastPaid: 'Last purchase',
  },
  data: {
    title: 'Data', reports: 'Reports', alerts: 'Alerts', experiments: 'A/B tests', lastDays: 'Last {{n}} days', uv: 'Visitors (UV)',
    views: 'Views', gmvSeries: 'GMV (¥)', day: 'Day', room: 'Room', product: 'Product', pv: 'Page views (PV)', clicks: 'Clicks',
    carts: 'Add to cart', comments: 'Comments', follows: 'Follows', orders: 'Orders', paid: 'Paid', refunds: 'Refunds',
  },
  alerts: {
    name: 'Name', threshold: 'Threshold', minVisitors: 'Min visitors', cooldown: 'Cooldown (s)', add: 'Add rule', rule: 'Rule',
    metric: 'Metric', cooldownShort: 'Cooldown', deleteConfirm: 'Delete?', recent: 'Recent alerts', message: 'Message',
    read: 'Read', markRead: 'Mark read', secretTitle: 'Webhook signing secret (shown only once)',
    secretHint: 'Verify the X-LiveMall-Signature header with it: t=…,v1=HMAC-SHA256(secret, "t.body")',
  },
  experiments: {
    keyExample: 'key (e.g. room-cover)', name: 'Name', variants: 'Variants', goal: 'Goal', create: 'New experiment',
    results: 'Results', stop: 'Stop', restart: 'Restart', variant: 'Variant', exposures: 'Exposures', conversions: 'Conversions',
    rate: 'Rate', lift: 'Lift', control: 'Control', pValue: 'p-value', significant: 'Significant', yes: 'Significant (95%)',
    no: 'Not significant',
  },
  recon: {
    title: 'Reconciliation', thisShop: 'this shop', allShops: 'all shops', allShopsPlaceholder: 'All shops',
    everyDay: 'Every day', runNow: 'Run now', range: 'Range', shop: 'Shop', trigger: 'Trigger', result: 'Result',
    noRuns: 'No runs yet: press Run now.', beginning: 'the beginning', notFinished: 'Some checks could not finish',
    found: '{{n}} discrepancies found', count: '{{n}} discrepancies', check: 'Check', took: 'Took', subject: 'Subject',
    platform: 'Platform', whatIsWrong: 'What is wrong', expected: 'Expected', actual: 'Actual',
  },
};
