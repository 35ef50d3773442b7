// eventloop4j examples tour: eventLoopExample, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.
// --- seed: begin ---
// Event loop visualization
function eventLoopExample() {
    console.log('Start');
    
    setTimeout(() => {
        console.log('Timeout 1');
    }, 0);
    
    Promise.resolve().then(() => {
        console.log('Promise 1');
    });
    
    setTimeout(() => {
        console.log('Timeout 2');
    }, 0);
    
    Promise.resolve().then(() => {
        console.log('Promise 2');
    });
    
    console.log('End');
}

// Execution order:
// 1. Start
// 2. End
// 3. Promise 1 (microtask)
// 4. Promise 2 (microtask)
// 5. Timeout 1 (macrotask)
// 6. Timeout 2 (macrotask)
// --- seed: end ---

// Not in the seed: run it.
eventLoopExample();
