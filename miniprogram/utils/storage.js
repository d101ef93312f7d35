// Storage keys shared by the API client and the referral code handling, so both agree on names.
module.exports = {
  TOKEN: 'token',
  USER: 'user',
  // The distributor share code the shop was opened through (sent on every login and bound once).
  REF: 'ref',
  // The last ref the backend has seen (by login or POST /v1/referrals/bind): avoids re-sending it.
  REF_SENT: 'ref_sent',
  // The category the home page banner asked the category tab to open (switchTab takes no query).
  CATEGORY: 'category_id',
};
