// The repo's on-demand price table (pricing/bedrock-on-demand.json, with its source and date), for every
// front end: the extension adds the user's overrides from settings, the CLI from its flags.
import priceTable from '../../../pricing/bedrock-on-demand.json';
import type { PriceTable } from './pricing';

export const PRICES = priceTable as PriceTable;
