"""Distribution: distributors, referral binding, commission entries, settlement and withdrawals."""
