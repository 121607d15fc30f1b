// Chart.yaml fields both charts share (artifact hubs show them; `helm lint` asks for an icon).
export const CHART_METADATA = {
  home: 'https://github.com/helpdesk/helpdesk',
  sources: ['https://github.com/helpdesk/helpdesk'],
  icon: 'https://raw.githubusercontent.com/helpdesk/helpdesk/main/web/public/favicon.svg',
  maintainers: [{ name: 'Helpdesk maintainers', email: 'maintainers@helpdesk.dev' }],
}
