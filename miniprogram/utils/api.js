// The small API client: base URL, bearer token, JSON error envelope → rejected promise.
const BASE_URL = 'http://127.0.0.1:8000';

function request(method, path, data) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: BASE_URL + path,
      method,
      data,
      header: { Authorization: 'Bearer ' + (wx.getStorageSync('token') || '') },
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data);
        else reject((res.data && res.data.error) || { code: 'HTTP_' + res.statusCode });
      },
      fail: reject,
    });
  });
}

function login() {
  return new Promise((resolve, reject) => {
    wx.login({
      success({ code }) {
        request('POST', '/v1/auth/wechat-login', { code, ref: wx.getStorageSync('ref') || undefined })
          .then((res) => { wx.setStorageSync('token', res.token); resolve(res); })
          .catch(reject);
      },
      fail: reject,
    });
  });
}

module.exports = { request, login, BASE_URL };
