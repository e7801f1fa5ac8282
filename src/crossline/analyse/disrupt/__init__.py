"""Who to target: which people or phones, removed, most reduce a network's ability to
function, measured as what is left of its largest connected component."""
