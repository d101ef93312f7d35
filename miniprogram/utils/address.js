// Address form rules shared by the edit page and the WeChat address import.
const PHONE = /^1\d{10}$/;
const FIELDS = ['name', 'phone', 'province', 'city', 'district', 'detail'];
const LIMITS = { name: 32, detail: 120 };

// → null when the address can be saved, otherwise the first problem, in Chinese for a toast.
function validate(address) {
  const a = address || {};
  if (!a.name || !String(a.name).trim()) return '请填写收货人';
  if (String(a.name).length > LIMITS.name) return '收货人姓名太长';
  if (!PHONE.test(String(a.phone || ''))) return '请填写11位手机号';
  if (!a.province || !a.city || !a.district) return '请选择所在地区';
  if (!a.detail || !String(a.detail).trim()) return '请填写详细地址';
  if (String(a.detail).length > LIMITS.detail) return '详细地址太长';
  return null;
}

// The body POST/PUT /v1/me/addresses accepts: only the contract's fields, trimmed.
function toBody(address) {
  const body = {};
  FIELDS.forEach((field) => { body[field] = String(address[field] || '').trim(); });
  body.is_default = Boolean(address.is_default);
  return body;
}

// wx.chooseAddress's answer → our address shape.
function fromWechat(res) {
  return { name: res.userName, phone: res.telNumber, province: res.provinceName, city: res.cityName,
    district: res.countyName, detail: res.detailInfo, is_default: false };
}

function oneLine(address) {
  return [address.province, address.city, address.district, address.detail].join(' ');
}

module.exports = { validate, toBody, fromWechat, oneLine };
