/** Domain events leaving the process: EventBridge in AWS, in-process dispatch and a webhook locally. */
export interface DomainEvent {
  /** EventBridge detail-type, e.g. `ScoresPublished` or `ExportRequested`. */
  type: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
}
