"""Add a shipping address (the first one becomes the default)."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.addresses import create_address
from fenxiao.users.models import AddressIn


@http_action("POST", "/v1/me/addresses", auth="user", body=AddressIn, status=201)
def create(req: UserRequest[AddressIn]) -> dict:
    return create_address(req.db, req.user_id, req.body)


handler = create.handler
