/**
 * The screen and QOM requests of the contract, built over the VM set: the service only
 * spreads these into its handler map, so their behaviour lives here.
 */
import type { RequestHandlers } from '../../common/contract';
import { parseJsonLossless, type JsonValue } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import type { VmSet } from '../service/vm-set';
import { connectedClient, type SchemaReader } from '../schema/schema-reader';
import { qomGet, qomList, qomSet } from './qom-reads';
import { ScreenCapture } from './screen-capture';

/** The handlers this folder serves. */
export type DetailsHandlers = Pick<RequestHandlers, 'getScreenshot' | 'qomList' | 'qomGet' | 'qomSet'>;

/** Builds the screen and QOM handlers. */
export function detailsHandlers(vms: VmSet, schemas: SchemaReader, options: { readonly tempRoot?: string } = {}): DetailsHandlers {
  const screens = new ScreenCapture({ schemaJson: async (client: QmpClient) => (await schemas.schema(client)).schemaJson, ...options });
  return {
    getScreenshot: async ({ vmId }) => {
      const client = vms.get(vmId).client;
      if (client === undefined) return { available: false, kind: 'not-connected', note: 'No picture: the VM is not connected.' };
      return screens.capture(client);
    },
    qomList: async ({ vmId, path }) => ({ properties: await qomList(connectedClient(vms, vmId), path) }),
    qomGet: async ({ vmId, path, property }) => qomGet(connectedClient(vms, vmId), path, property),
    qomSet: async ({ vmId, path, property, valueJson }) => {
      const session = vms.get(vmId);
      let value: JsonValue;
      try {
        value = parseJsonLossless(valueJson);
      } catch (error) {
        return { set: { ok: false, errorClass: 'invalid-arguments', desc: `the value is not JSON: ${(error as Error).message}`, durationMs: 0 } };
      }
      return qomSet((command, args) => session.execute(command, args), () => session.client, { path, property, value });
    },
  };
}
