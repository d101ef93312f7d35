"""The shopper's shipping addresses, default first."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.addresses import list_addresses


@http_action("GET", "/v1/me/addresses", auth="user")
def addresses(req: UserRequest) -> dict:
    return list_addresses(req.db, req.user_id)


handler = addresses.handler
