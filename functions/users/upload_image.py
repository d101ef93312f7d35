"""An upload form for a shopper's image (the avatar chosen with WeChat's chooseAvatar): the mini-program
sends the file with wx.uploadFile straight to object storage, then saves the public URL (PATCH /v1/me)."""
from fenxiao.admin.uploads import UploadIn, image_upload
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/me/uploads", auth="user", body=UploadIn)
def new_upload(req: UserRequest[UploadIn]) -> dict:
    """Same presigned POST as the merchant's (≤ 5 MB, JPEG/PNG/WebP), under uploads/shoppers/."""
    return image_upload(req.body, folder="shoppers")


handler = new_upload.handler
