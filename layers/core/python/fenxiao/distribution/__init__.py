"""Distribution: distributors, referral binding, the commission ledger, settlement and withdrawals."""
