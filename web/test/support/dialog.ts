// jsdom has <dialog> but not its modal methods: just enough of them for a Dialog to open and
// close (no focus trap or inert page; the browser journeys cover those).
HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) {
  this.setAttribute('open', '')
}
HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) {
  this.removeAttribute('open')
}
