import type { api, Data } from '../../api/client';

export type DeviceDetailResponse = Data<(typeof api.devices)[':id']['$get']>;
export type DeviceDetail = DeviceDetailResponse['device'];
