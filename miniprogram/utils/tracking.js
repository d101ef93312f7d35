// Where is my parcel: WeChat's logistics view when the backend has a waybill token (trace_waybill),
// otherwise the carrier, the number and a status in words.
const PLUGIN = 'logisticsPlugin'; // app.json "plugins": WeChat's 物流查询 plugin

function openWaybill(token) {
  return new Promise((resolve, reject) => {
    let plugin = null;
    try {
      plugin = requirePlugin(PLUGIN);
    } catch (e) {
      reject(e);
      return;
    }
    plugin.openWaybillTracking({ waybillToken: token, success: resolve, fail: reject });
  });
}

function plainText(parcel) {
  return (parcel.carrier_name || parcel.carrier) + ' ' + parcel.tracking_no + '\n' + parcel.status_text;
}

/** showTracking(api, orderId) → Promise: opens the last parcel (the newest) in WeChat, or a modal. */
function showTracking(api, orderId) {
  return api.get('/v1/orders/' + encodeURIComponent(orderId) + '/tracking').then((res) => {
    const parcels = res.items || [];
    const parcel = parcels[parcels.length - 1];
    const fallback = () => wx.showModal({ title: '物流信息', content: parcels.map(plainText).join('\n\n'),
      showCancel: false });
    if (!parcel || !parcel.waybill_token) return fallback();
    return openWaybill(parcel.waybill_token).catch(fallback);
  });
}

module.exports = { showTracking, plainText };
