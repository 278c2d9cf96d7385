// The simulated world: the support questions users ask and the help-center articles the assistant retrieves.

export type ToolName = 'get_order_status' | 'get_invoice' | 'get_service_status';

export interface Question {
  readonly text: string;
  /** The tool the simulated model asks for to answer this question. */
  readonly tool: ToolName;
  readonly toolArguments: Readonly<Record<string, string>>;
}

export interface Article {
  readonly id: string;
  readonly title: string;
}

export const QUESTIONS: readonly Question[] = [
  { text: 'Where is my order 48213? It was supposed to arrive on Monday.', tool: 'get_order_status', toolArguments: { order_id: '48213' } },
  { text: 'Why was I charged twice on invoice INV-2041?', tool: 'get_invoice', toolArguments: { invoice_id: 'INV-2041' } },
  { text: 'Is the EU region having an outage right now?', tool: 'get_service_status', toolArguments: { region: 'eu-west-1' } },
  { text: 'Can I still change the delivery address of order 51877?', tool: 'get_order_status', toolArguments: { order_id: '51877' } },
  { text: 'My refund for invoice INV-1988 has not arrived yet. What happened?', tool: 'get_invoice', toolArguments: { invoice_id: 'INV-1988' } },
  { text: 'API calls from us-east-1 keep timing out. Is something wrong on your side?', tool: 'get_service_status', toolArguments: { region: 'us-east-1' } },
  { text: 'Order 50122 shows as delivered but I never got it.', tool: 'get_order_status', toolArguments: { order_id: '50122' } },
  { text: 'Which payment method was used for invoice INV-2107?', tool: 'get_invoice', toolArguments: { invoice_id: 'INV-2107' } },
];

export const ARTICLES: readonly Article[] = [
  { id: 'kb-101', title: 'Shipping times by region' },
  { id: 'kb-102', title: 'Tracking a delayed order' },
  { id: 'kb-103', title: 'Changing a delivery address' },
  { id: 'kb-104', title: 'Orders marked delivered but not received' },
  { id: 'kb-105', title: 'Refund timelines by payment method' },
  { id: 'kb-106', title: 'Duplicate charges and pending authorizations' },
  { id: 'kb-107', title: 'Reading your invoice' },
  { id: 'kb-108', title: 'Updating payment methods' },
  { id: 'kb-109', title: 'Service status and incident history' },
  { id: 'kb-110', title: 'Regional API endpoints' },
  { id: 'kb-111', title: 'Retrying requests after timeouts' },
  { id: 'kb-112', title: 'Rate limits and quotas' },
  { id: 'kb-113', title: 'Contacting support' },
  { id: 'kb-114', title: 'Cancelling an order' },
  { id: 'kb-115', title: 'Returns and exchanges' },
  { id: 'kb-116', title: 'Account security and API keys' },
];

/** The question request `requestNumber` asks: the runs cycle through all of them. */
export function questionFor(requestNumber: number): Question {
  return QUESTIONS[requestNumber % QUESTIONS.length];
}

const ARTICLES_BY_ID: ReadonlyMap<string, Article> = new Map(ARTICLES.map((article) => [article.id, article]));

export function articleById(id: string): Article | undefined {
  return ARTICLES_BY_ID.get(id);
}
