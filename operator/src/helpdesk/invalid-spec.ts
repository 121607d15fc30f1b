/** A spec the CRD schema admitted but the operator cannot act on; reported as Ready=False. */
export class InvalidSpecError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidSpecError'
  }
}
