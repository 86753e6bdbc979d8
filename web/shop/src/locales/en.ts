// The shop's English texts: the same keys as zh.ts (the type makes a missing or extra key an error).
import type { Catalogue } from '@livemall/sdk';
import type { zh } from './zh.ts';

export const en: Catalogue<typeof zh> = {
  common: {
    loading: 'Loading…', empty: 'Nothing here yet', error: 'Something went wrong', retry: 'Retry', ok: 'OK',
    cancel: 'Cancel', save: 'Save', submit: 'Submit', submitted: 'Submitted', all: 'All', searchProducts: 'Search products',
    share: 'Share', linkCopied: 'Link copied', signInFirst: 'Please sign in first', signOut: 'Sign out',
  },
  form: {
    required: 'Please fill this in', tooShort: 'This is too short', phone: 'Enter an 11-digit mobile number',
    passwordShort: 'At least 6 characters',
  },
  tabs: { home: 'Home', mall: 'Browse', cart: 'Cart', orders: 'Orders', me: 'Me' },
  home: {
    live: 'Live', upcoming: 'Upcoming', replays: 'Replays', forYou: 'For you', liveBadge: 'LIVE', watching: '{{n}} watching',
    remindMe: 'Remind me', flash: 'Flash sale', groups: 'Group buy', bargains: 'Bargain', coupons: 'Coupons',
  },
  mall: {
    sort: { relevance: 'Best match', sales: 'Best selling', priceAsc: 'Price ↑', priceDesc: 'Price ↓', newest: 'Newest' },
    minPrice: 'Min', maxPrice: 'Max',
  },
  product: { sold: '{{n}} sold', favourite: 'Save' },
  sku: {
    stock: 'Stock {{n}}', choose: 'Please choose', quantity: 'Quantity', addToCart: 'Add to cart', added: 'Added to cart',
    buyNow: 'Buy now',
  },
  cart: {
    offShelf: 'Off shelf', outOfStock: 'Out of stock', lowStock: 'Not enough stock', repriced: 'Price changed',
    checkout: 'Checkout ({{n}})',
  },
  checkout: {
    title: 'Confirm order', address: 'Shipping address', goods: 'Goods', discount: 'Discount', shipping: 'Shipping',
    total: 'Total', points: 'Pay with points', pointsUsed: '{{n}} points used',
    pointsUsable: 'You have {{balance}} points; {{usable}} usable here', placeOrder: 'Place order {{amount}}',
    calculating: 'Calculating…', recalculate: 'Recalculate', cashier: 'Cashier', paying: 'Paying…',
    paid: 'Payment successful', viewOrders: 'View orders', backToShow: 'Back to the show',
  },
  coupons: {
    row: 'Coupons', usable: '{{n}} usable', noneUsable: 'None usable',
    bestApplied: 'The best combination of your coupons is applied', none: 'No coupon', auto: 'Best combination for me',
    platform: 'Platform',
  },
  address: {
    name: 'Name', phone: 'Phone', province: 'Province', city: 'City', detail: 'Address', provinceExample: 'Guangdong',
    cityExample: 'Shenzhen',
  },
  login: { phone: 'Phone', password: 'Password', signIn: 'Sign in', register: 'Register' },
  orders: {
    goods: 'Items', cancel: 'Cancel order', confirmReceipt: 'Confirm receipt', requestAftersale: 'After-sales',
    shipments: 'Shipping',
  },
  aftersales: {
    title: 'After-sales', refunded: 'Refunded {{n}}', refunding: 'Refunding {{n}}', requested: 'Requested {{n}}',
    refundable: 'Refundable {{n}}', refundedTotal: 'Refunded', refundingTotal: 'Refunding', estimate: 'Estimated refund',
    amount: 'Refund', inclShipping: 'incl. shipping {{amount}}',
    settledLater: 'The amount is settled when the shop starts the refund', sheetTitle: 'Request after-sales', type: 'Type',
    reason: 'Reason', reasonExample: 'e.g. changed my mind', details: 'Details',
  },
  room: {
    explaining: 'Explaining', buy: 'Buy', products: 'Products ({{n}})', sayHi: 'Say something…', send: 'Send',
    chatUnavailable: 'Chat is not available', tapForSound: 'Tap for sound', replay: 'Replay', notStarted: 'Not started yet',
    follow: 'Follow', following: 'Following', won: '🎉 You won {{prize}}', giftSent: '{{name}} sent {{gift}} ×{{n}}',
    claimedToast: 'Coupon claimed', winners: 'Winners: {{names}}', drawAt: 'Draw at {{time}}',
    sendKeyword: 'Send the keyword to enter: {{keyword}}', entered: 'Entered',
  },
  pay: {
    choose: 'Choose how to pay', alipay: 'Alipay', wechat: 'WeChat Pay', sandbox: 'Test payment',
    testMoney: 'test money, nothing is charged', none: 'Online payment is not available yet',
    wechatOutside: 'WeChat Pay works inside WeChat: open this shop\'s mini-program in WeChat to pay',
    wechatInWechat: 'WeChat Pay is paid in this shop\'s mini-program: open it in WeChat to pay this order',
  },
  gifts: { balance: 'Balance', coins: 'coins', topUp: 'Top up {{n}}', spent: '-{{n}} coins', done: 'Done' },
  deals: {
    myCoupons: 'My coupons', left: '{{n}} left', claim: 'Claim', claimed: 'Claimed', allGone: 'All gone', flash: 'Flash sale',
    startsAt: 'Starts at {{time}}', grab: 'Grab it', groupOf: 'Group of {{n}}', missing: '{{n}} more needed',
    startGroup: 'Start a group', join: 'Join', bargainTo: 'Bargain → {{price}}', startBargain: 'Start bargain',
    helpCut: 'Help cut', buyAt: 'Buy now {{price}}', pointsBalance: 'Points {{n}}',
    pointsPolicy: '{{points}} points = ¥1 · up to {{pct}}% of an order',
  },
  me: {
    points: 'Points', saved: 'Saved', following: 'Following', addresses: 'My addresses', addAddress: 'Add address',
    language: 'Language',
  },
};
