/* Who may do what, so the page offers only the actions the signed-in role may take. The server decides
 * (every admin route declares its roles and answers 403 otherwise); this table mirrors those
 * declarations (fenxiao/admin/roles.py: operator = catalog, orders, marketing; finance = refunds,
 * withdrawals, settlement; viewer reads only) so nobody is shown a button that can only fail. */
import { session } from './api.js';

export const ROLES = [['owner', '店主'], ['operator', '运营'], ['finance', '财务'], ['viewer', '只读']];
export const roleName = (role) => (ROLES.find(([r]) => r === role) || [role, role])[1];

const ALLOWED = {
  catalog: ['owner', 'operator'],            // products, categories, banners, shipping templates, reviews, hot searches
  orders: ['owner', 'operator'],             // ship, retry WeChat shipping info
  marketing: ['owner', 'operator'],          // coupons, promotions, group buys
  distributors: ['owner', 'operator'],       // review applications, grade or disable a distributor
  messages: ['owner', 'operator'],           // subscribe-message templates
  price_change: ['owner', 'finance'],       // 改价 of an unpaid order (money)
  returns: ['owner', 'operator'],            // after-sales goods steps: agree to a return, receive it, reship
  refund_reject: ['owner', 'finance'],
  refund_approve: ['owner', 'finance'],      // sends money back
  payout: ['owner', 'finance'],              // approve / reject / mark paid a withdrawal
  settlement: ['owner', 'finance'],          // run settlement
  repair: ['owner'],                         // set drifted balances to their journal
  money_rules: ['owner'],                    // distribution settings, grades, shop settings
  points: ['owner', 'finance'],              // points and member-level settings, a shopper's points adjustment
  staff: ['owner'],                          // staff accounts, operation log
};

/** May the signed-in admin do `what` (a key of ALLOWED)? */
export function can(what) {
  const admin = session.admin();
  return Boolean(admin && (ALLOWED[what] || []).includes(admin.role));
}
