"""Delete one of the shopper's addresses; deleting the default promotes the newest remaining one."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.addresses import delete_address


@http_action("DELETE", "/v1/me/addresses/{address_id}", auth="user", status=204)
def delete(req: UserRequest) -> None:
    delete_address(req.db, req.user_id, req.params["address_id"])


handler = delete.handler
