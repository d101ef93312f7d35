"""Replace one of the shopper's addresses (and optionally make it the default)."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.addresses import update_address
from fenxiao.users.models import AddressIn


@http_action("PUT", "/v1/me/addresses/{address_id}", auth="user", body=AddressIn)
def update(req: UserRequest[AddressIn]) -> dict:
    return update_address(req.db, req.user_id, req.params["address_id"], req.body)


handler = update.handler
