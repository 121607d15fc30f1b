module helpdesk.local/images/pause

go 1.23
