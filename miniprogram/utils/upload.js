// Sending one local image (a chooseAvatar / chooseMedia temp file) to object storage: the backend signs
// an upload form (POST /v1/me/uploads → {url, fields, public_url}), wx.uploadFile posts the file with
// those fields straight to storage, and the caller saves `public_url` where it belongs.
const TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

function contentType(path) {
  const match = /\.([A-Za-z0-9]+)$/.exec(path || '');
  return TYPES[match ? match[1].toLowerCase() : ''] || 'image/jpeg'; // WeChat's temp avatars are JPEG
}

function fileSize(filePath) {
  return new Promise((resolve, reject) => {
    wx.getFileInfo({ filePath, success: (res) => resolve(res.size),
      fail: () => reject({ code: 'FILE_UNREADABLE', message: '读取图片失败，请重新选择' }) });
  });
}

function send(form, filePath) {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: form.url, filePath, name: 'file', formData: form.fields,
      success: (res) => (res.statusCode >= 200 && res.statusCode < 300 ? resolve(form.public_url)
        : reject({ code: 'UPLOAD_FAILED', message: '图片上传失败，请稍后再试' })),
      fail: () => reject({ code: 'NETWORK_ERROR', message: '网络不给力，请稍后再试' }),
    });
  });
}

/** uploadImage(api, filePath) → Promise of the image's public URL. */
function uploadImage(api, filePath) {
  const type = contentType(filePath);
  const name = 'image.' + (type === 'image/jpeg' ? 'jpg' : type.slice(6));
  return fileSize(filePath)
    .then((size) => api.post('/v1/me/uploads', { filename: name, content_type: type, size }))
    .then((form) => send(form, filePath));
}

/**
 * choosePhotos(api, count, onUploaded) → Promise: the shopper picks up to `count` images (album or camera,
 * compressed); each is sent to object storage in turn and `onUploaded(url)` runs as it lands, so a slow
 * batch shows its progress. Resolves when all are sent or the picker was closed; rejects with the first
 * upload that failed (the ones before it are kept).
 */
function choosePhotos(api, count, onUploaded) {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count, mediaType: ['image'], sizeType: ['compressed'],
      success: (res) => res.tempFiles.reduce((done, file) => done.then(() => uploadImage(api, file.tempFilePath)
        .then(onUploaded)), Promise.resolve()).then(resolve, reject),
      fail: () => resolve(),
    });
  });
}

module.exports = { uploadImage, choosePhotos, contentType };
