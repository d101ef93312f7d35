"""Image upload forms for the merchant (product images, category icons); composed by handler.py."""
from fenxiao.admin.roles import SHOP
from fenxiao.admin.uploads import UploadIn, image_upload
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("POST", "/v1/admin/uploads", auth="admin", body=UploadIn, roles=SHOP)
def new_upload(req: AdminRequest[UploadIn]) -> dict:
    """A presigned POST the browser sends one image (≤ 5 MB) to, straight to object storage."""
    return image_upload(req.body)

